import type { Knex } from 'knex';

export type Scope = {
  id: string;
  label: string;
  description: string | null;
  provider: string;
  groupLabel: string;
  openData: boolean;
  personalData: boolean | null;
};
export type UseCase = {
  id: string;
  label: string;
  description: string;
  legalBasisTitle: string | null;
  legalBasisUrl: string | null;
  startableByApplicant: boolean;
};
/** preticked: ticked, can be unticked; included: open data, always in; locked: always in; disabled: never; hidden: not shown. */
export type ScopeMode = 'preticked' | 'included' | 'locked' | 'disabled' | 'hidden';
export type UseCaseScope = Scope & { mode: ScopeMode };

const scopeColumns = [
  's.id',
  's.label',
  's.description',
  's.provider',
  's.group_label as groupLabel',
  's.open_data as openData',
  's.personal_data as personalData',
];
const useCaseColumns = [
  'id',
  'label',
  'description',
  'legal_basis_title as legalBasisTitle',
  'legal_basis_url as legalBasisUrl',
  'startable_by_applicant as startableByApplicant',
];

export async function listUseCases(db: Knex): Promise<UseCase[]> {
  return db('use_cases').where('startable_by_applicant', true).orderBy('position').select(useCaseColumns);
}

/** Every use case, including those only instructors open (filters of the instruction list). */
export async function allUseCases(db: Knex): Promise<UseCase[]> {
  return db('use_cases').orderBy('position').select(useCaseColumns);
}

export async function findUseCase(db: Knex, id: string): Promise<UseCase | undefined> {
  return db('use_cases').where({ id }).first(useCaseColumns);
}

/** The scopes a use case ticks (preticked, included, locked), in catalogue order. */
export async function scopesOfUseCase(db: Knex, useCaseId: string): Promise<UseCaseScope[]> {
  return db('use_case_scopes as u')
    .join('scopes as s', 's.id', 'u.scope_id')
    .join('scope_groups as g', 'g.label', 's.group_label')
    .where('u.use_case_id', useCaseId)
    .whereIn('u.mode', ['preticked', 'included', 'locked'])
    .orderBy([{ column: 'g.position' }, { column: 's.position' }])
    .select([...scopeColumns, 'u.mode']);
}

export type ScopeChoice = Scope & { mode: Exclude<ScopeMode, 'hidden'> | null };

/** Every scope a use case shows, grouped as in the catalogue, with its mode (hidden ones left out). */
export async function scopeChoices(db: Knex, useCaseId: string): Promise<{ label: string; scopes: ScopeChoice[] }[]> {
  const rows = (await db('scopes as s')
    .join('scope_groups as g', 'g.label', 's.group_label')
    .leftJoin('use_case_scopes as u', (join) =>
      join.on('u.scope_id', 's.id').andOn('u.use_case_id', db.raw('?', [useCaseId])),
    )
    .where((w) => w.whereNull('u.mode').orWhereNot('u.mode', 'hidden'))
    .where('s.status', 'current')
    .orderBy([{ column: 'g.position' }, { column: 's.position' }])
    .select([...scopeColumns, 'u.mode'])) as ScopeChoice[];
  const groups: { label: string; scopes: ScopeChoice[] }[] = [];
  for (const scope of rows) {
    const last = groups.at(-1);
    if (last?.label === scope.groupLabel) last.scopes.push(scope);
    else groups.push({ label: scope.groupLabel, scopes: [scope] });
  }
  return groups;
}

/** The labels of these scopes, by id. */
export async function scopeLabels(db: Knex, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = (await db('scopes').whereIn('id', ids).select('id', 'label')) as { id: string; label: string }[];
  return new Map(rows.map((r) => [r.id, r.label]));
}
