// /3/projects — reference/fortnox-api.md §4.5: ProjectNumber optional (next in the series otherwise),
// Description 1–50 required, Status NOTSTARTED|ONGOING|COMPLETED defaulting to ONGOING, unset fields null
// ([VCR-23] projects/save_new.yml, which also shows Fortnox's singular `Location: project`).
import { created, noContent, ok, type ApiContext, type ApiRoute } from '../api.js';
import { FortnoxCode, invalid, notFound, SandboxCode } from '../errors.js';
import { applyFields, copyJson, givenString } from '../fields.js';
import { listItem, listResponse } from '../listing.js';
import { text, type Stored, type TenantState, type WireObject } from '../state.js';

const template: WireObject = {
  Comments: null,
  ContactPerson: null,
  Description: '',
  EndDate: null,
  ProjectLeader: null,
  ProjectNumber: '',
  StartDate: null,
  Status: 'ONGOING',
};
const listKeys = ['@url', 'Description', 'EndDate', 'ProjectLeader', 'ProjectNumber', 'StartDate', 'Status'] as const;

/** The record as a single GET answers it. */
export function renderProject(context: { baseUrl: string }, project: Stored): WireObject {
  return { '@url': `${context.baseUrl}/3/projects/${encodeURIComponent(text(project.data, 'ProjectNumber'))}`, ...project.data };
}

function requireProjectRecord(tenant: TenantState, projectNumber: string): Stored {
  const project = tenant.projects.get(projectNumber);
  if (project === undefined) throw notFound(FortnoxCode.projectNotFound, 'Kan inte hitta projektet.');
  return project;
}

/** Creates a project from a validated Project object (a POST, or the seed). */
export function createProject(tenant: TenantState, input: Record<string, unknown>, now: number): Stored {
  let projectNumber = givenString(input, 'ProjectNumber');
  if (projectNumber !== undefined) {
    if (tenant.projects.has(projectNumber)) throw invalid(SandboxCode.projectNumberTaken, `Projektnummer ${projectNumber} används redan`);
  } else {
    while (tenant.projects.has(String(tenant.counters.projectNumber))) tenant.counters.projectNumber += 1;
    projectNumber = String(tenant.counters.projectNumber);
    tenant.counters.projectNumber += 1;
  }
  const data = copyJson(template);
  applyFields(data, input, template);
  data.ProjectNumber = projectNumber;
  const project = { data, modifiedAt: now };
  tenant.projects.set(projectNumber, project);
  return project;
}

function list(context: ApiContext) {
  return listResponse<Stored>(context, {
    key: 'Projects',
    items: context.tenant.projects.values(),
    sortBy: { projectnumber: (p) => text(p.data, 'ProjectNumber'), description: (p) => text(p.data, 'Description') },
    lastModified: (p) => p.modifiedAt,
    render: (p) => listItem(renderProject(context, p), listKeys),
  });
}

export const projectRoutes: readonly ApiRoute[] = [
  { method: 'GET', template: '/3/projects', scope: 'project', handle: list },
  {
    method: 'POST',
    template: '/3/projects',
    scope: 'project',
    handle: (context) => created('Project', renderProject(context, createProject(context.tenant, context.body, context.now)), 'project'),
  },
  {
    method: 'GET',
    template: '/3/projects/{ProjectNumber}',
    scope: 'project',
    handle: (context) => ok('Project', renderProject(context, requireProjectRecord(context.tenant, context.params.ProjectNumber ?? ''))),
  },
  {
    method: 'PUT',
    template: '/3/projects/{ProjectNumber}',
    scope: 'project',
    handle: (context) => {
      const projectNumber = context.params.ProjectNumber ?? '';
      const project = requireProjectRecord(context.tenant, projectNumber);
      const renumber = givenString(context.body, 'ProjectNumber');
      if (renumber !== undefined && renumber !== projectNumber) throw invalid(SandboxCode.numberCannotChange, `Projektnumret kan inte ändras (${projectNumber} → ${renumber})`);
      applyFields(project.data, context.body, template);
      project.modifiedAt = context.now;
      return ok('Project', renderProject(context, project));
    },
  },
  {
    method: 'DELETE',
    template: '/3/projects/{ProjectNumber}',
    scope: 'project',
    handle: (context) => {
      const projectNumber = context.params.ProjectNumber ?? '';
      requireProjectRecord(context.tenant, projectNumber);
      context.tenant.projects.delete(projectNumber);
      return noContent;
    },
  },
];
