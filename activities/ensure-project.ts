import { createOrReadBack } from '../src/fortnox/create-or-read-back.js';
import { FortnoxApiError } from '../src/fortnox/errors.js';
import { isProjectConflict } from '../src/fortnox/resources/projects.js';
import type { ProjectWrite } from '../src/fortnox/resources/projects.js';
import { withoutUndefined } from '../src/mapping/customer.js';
import type { SummaInvoice } from '../src/summa/invoice-contract.js';
import type { ActivityDeps } from './deps.js';
import { fortnoxFailure } from './failures.js';

export interface EnsureProjectInput {
  tenant: string;
  project: NonNullable<SummaInvoice['project']>;
}

/**
 * Creates or updates the invoice's project in Fortnox (Summa owns it), except a write this process has just made with
 * the same data. The project register is read once per tenant and process.
 */
export function ensureProject(deps: ActivityDeps) {
  return async ({ tenant, project }: EnsureProjectInput): Promise<{ outcome: 'created' | 'updated' | 'unchanged' }> => {
    const fortnox = deps.fortnoxFor(tenant);
    const wanted: Omit<ProjectWrite, 'ProjectNumber'> = withoutUndefined({
      Description: project.description,
      Status: project.status,
      StartDate: project.startDate,
      EndDate: project.endDate,
      ProjectLeader: project.leader,
    });
    const cache = deps.cacheFor(tenant);
    const written = `project:${project.number}`;
    const fingerprint = JSON.stringify(wanted);
    if (cache.sameWrite(written, fingerprint) !== undefined) return { outcome: 'unchanged' };
    const numbers = () => cache.memo('projectNumbers', async () => new Set((await fortnox.projects.list()).map((item) => item.ProjectNumber)));
    try {
      let outcome: 'created' | 'updated';
      if ((await numbers()).has(project.number)) {
        try {
          await fortnox.projects.update(project.number, wanted);
          outcome = 'updated';
        } catch (error) {
          if (!(error instanceof FortnoxApiError && error.status === 404)) throw error;
          await fortnox.projects.create({ ProjectNumber: project.number, ...wanted });
          outcome = 'created';
        }
      } else {
        const written = await createOrReadBack({
          create: () => fortnox.projects.create({ ProjectNumber: project.number, ...wanted }),
          readBack: () => fortnox.projects.get(project.number),
          isConflict: isProjectConflict,
        });
        // Found after all: Summa owns the project, so what it says now is written.
        if (written.kind === 'existed') await fortnox.projects.update(project.number, wanted);
        outcome = written.kind === 'created' ? 'created' : 'updated';
        cache.update<Set<string>>('projectNumbers', (set) => set.add(project.number));
      }
      cache.recordWrite(written, fingerprint, project.number);
      return { outcome };
    } catch (error) {
      throw fortnoxFailure(error, `projektet ${project.number}`);
    }
  };
}
