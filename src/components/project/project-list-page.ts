/** Projects per page of the dashboard's list; the server renders the first page with the same size. */
export const PROJECT_PAGE_SIZE = 50;
