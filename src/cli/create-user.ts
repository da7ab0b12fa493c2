import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createDb } from '../db/knex.ts';
import { normaliseEmail } from '../domain/email.ts';
import { hashPassword } from '../domain/passwords.ts';
import { recordAudit } from '../repositories/audit.ts';

const ROLES = ['instructor', 'reporter', 'admin'];
const USAGE =
  'Usage : npm run create-user -- --email prenom.nom@exemple.gouv.fr --prenom Marie --nom Durand --role instructor|reporter|admin';

/**
 * Creates (or updates the roles of) an instructor, reporter or admin account, activated, with a random password
 * printed once; the person then chooses their own with « Mot de passe oublié ». Audited.
 */
/** The command's arguments, checked: an address and at least one known staff role. */
function readArgs() {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      prenom: { type: 'string' },
      nom: { type: 'string' },
      role: { type: 'string', multiple: true },
    },
  });
  const roles = values.role ?? [];
  const validEmail = values.email !== undefined && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email);
  if (!validEmail || roles.length === 0 || roles.some((r) => !ROLES.includes(r))) throw new Error(USAGE);
  return { values: { ...values, email: values.email! }, roles };
}

async function main(): Promise<void> {
  const { values, roles } = readArgs();
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL est obligatoire');
  const db = createDb(config.databaseUrl, { timeoutMs: 10_000 });
  try {
    const email = normaliseEmail(values.email);
    const password = randomBytes(18).toString('base64url');
    const existing = (await db('users').whereRaw('lower(email) = ?', [email]).first('id', 'roles')) as
      { id: string; roles: string[] } | undefined;
    await db.transaction(async (trx) => {
      let id = existing?.id;
      if (existing)
        await trx('users')
          .where({ id })
          .update({ roles: [...new Set([...existing.roles, ...roles])], updated_at: trx.fn.now() });
      else {
        const [row] = (await trx('users')
          .insert({
            email,
            given_name: values.prenom ?? 'Prénom',
            family_name: values.nom ?? 'Nom',
            password_hash: await hashPassword(password),
            roles,
            activated_at: trx.fn.now(),
          })
          .returning('id')) as { id: string }[];
        id = row?.id;
      }
      await recordAudit(trx, {
        actorId: null,
        action: 'cli.create-user',
        subjectType: 'user',
        subjectId: String(id),
        details: { roles },
      });
    });
    console.log(
      existing
        ? `Rôles ajoutés à ${email} : ${roles.join(', ')}`
        : `Compte créé : ${email} (${roles.join(', ')})\nMot de passe provisoire, affiché une seule fois : ${password}`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
