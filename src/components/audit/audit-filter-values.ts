/** The audit log's filters as typed; empty strings mean "any". */
export type AuditFilterValues = { project: string; team: string; action: string };

export const noAuditFilters: AuditFilterValues = { project: '', team: '', action: '' };

/** The filters as the API takes them: trimmed, empty ones left out. */
export function auditFilterInput(filters: AuditFilterValues) {
  const project = filters.project.trim();
  const team = filters.team.trim();
  const action = filters.action.trim();
  return {
    ...(project ? { project } : {}),
    ...(team ? { team } : {}),
    ...(action ? { action } : {}),
  };
}

/** The query string for the filters, so that a filtered view can be reloaded and shared. */
export function auditFilterQuery(filters: AuditFilterValues) {
  const params = new URLSearchParams(auditFilterInput(filters));
  const query = params.toString();
  return query ? `?${query}` : '';
}
