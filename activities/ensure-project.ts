import type { ProjectWrite } from '../src/fortnox/resources/projects.js';
import { withoutUndefined } from '../src/mapping/customer.js';
import type { SummaInvoice } from '../src/summa/invoice-contract.js';
import type { ActivityDeps } from './deps.js';
import { fortnoxFailure } from './failures.js';

export interface EnsureProjectInput {
  tenant: string;
  project: NonNullable<SummaInvoice['project']>;
}

/** Creates the invoice's project in Fortnox, or updates it when Summa's description, status or dates changed. */
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
    try {
      const current = await fortnox.projects.get(project.number);
      if (current === undefined) {
        try {
          await fortnox.projects.create({ ProjectNumber: project.number, ...wanted });
          return { outcome: 'created' };
        } catch (error) {
          // Our earlier attempt may have created it without us hearing back.
          if ((await fortnox.projects.get(project.number)) === undefined) throw error;
          return { outcome: 'created' };
        }
      }
      const changes = Object.fromEntries(Object.entries(wanted).filter(([field, value]) => (current as Record<string, unknown>)[field] !== value));
      if (Object.keys(changes).length === 0) return { outcome: 'unchanged' };
      await fortnox.projects.update(project.number, changes);
      return { outcome: 'updated' };
    } catch (error) {
      throw fortnoxFailure(error, `projektet ${project.number}`);
    }
  };
}
