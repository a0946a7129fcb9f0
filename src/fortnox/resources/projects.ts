import { z } from 'zod';
import { FortnoxApiError } from '../errors.js';
import type { FortnoxTransport } from '../transport.js';
import { isoDate, looseString, text, validRequest } from '../wire.js';

export const projectStatuses = ['NOTSTARTED', 'ONGOING', 'COMPLETED'] as const;

/** A project as we send it (`fortnox_Project`). */
export const projectWriteSchema = z.strictObject({
  ProjectNumber: text(20).min(1).optional(),
  Description: z.string().min(1).max(50),
  Status: z.enum(projectStatuses).optional(),
  StartDate: isoDate.optional(),
  EndDate: isoDate.optional(),
  ProjectLeader: text(50).optional(),
  ContactPerson: text(50).optional(),
  Comments: text(512).optional(),
});
export type ProjectWrite = z.infer<typeof projectWriteSchema>;

export const projectSchema = z.looseObject({
  ProjectNumber: z.coerce.string(),
  Description: looseString,
  Status: looseString,
  StartDate: looseString,
  EndDate: looseString,
  ProjectLeader: looseString,
});
export type Project = z.infer<typeof projectSchema>;

const projectWrap = z.object({ Project: projectSchema });
const projectPath = (projectNumber: string) => `/3/projects/${encodeURIComponent(projectNumber)}`;

/**
 * How Fortnox refuses a project that exists already: a 400 (its code for this is undocumented, so any 400). Read the
 * project back to tell a duplicate from another refusal (createOrReadBack).
 */
export const isProjectConflict = (error: unknown): boolean => error instanceof FortnoxApiError && error.status === 400;

export function projects(transport: FortnoxTransport) {
  return {
    /** The project, or undefined when there is none with that number. */
    async get(projectNumber: string): Promise<Project | undefined> {
      return (await transport.find(projectPath(projectNumber), projectWrap))?.Project;
    },

    list(): Promise<Project[]> {
      return transport.listAll('/3/projects', 'Projects', projectSchema);
    },

    async create(project: ProjectWrite): Promise<Project> {
      const body = { Project: validRequest('POST /3/projects', projectWriteSchema, project) };
      return (await transport.call('post', '/3/projects', projectWrap, { body })).Project;
    },

    /** Partial update: only the fields given change. */
    async update(projectNumber: string, changes: Omit<Partial<ProjectWrite>, 'ProjectNumber'>): Promise<Project> {
      const body = { Project: validRequest('PUT /3/projects', projectWriteSchema.partial(), changes) };
      return (await transport.call('put', projectPath(projectNumber), projectWrap, { body })).Project;
    },
  };
}
