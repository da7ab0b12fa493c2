import type { Db } from '../db/knex.ts';
import {
  findUseCase,
  listUseCases,
  scopesOfUseCase,
  type UseCase,
  type UseCaseScope,
} from '../repositories/catalogue.ts';

export type UseCaseDetail = { useCase: UseCase; groups: { label: string; scopes: UseCaseScope[] }[] };

/** Reading the API Entreprise catalogue: use cases and the data each brings, grouped as in the catalogue. */
export function catalogueService(db: Db) {
  return {
    useCases: () => listUseCases(db),
    async useCaseDetail(id: string): Promise<UseCaseDetail | undefined> {
      const useCase = await findUseCase(db, id);
      if (!useCase) return undefined;
      const groups: UseCaseDetail['groups'] = [];
      for (const scope of await scopesOfUseCase(db, id)) {
        const last = groups.at(-1);
        if (last?.label === scope.groupLabel) last.scopes.push(scope);
        else groups.push({ label: scope.groupLabel, scopes: [scope] });
      }
      return { useCase, groups };
    },
  };
}
