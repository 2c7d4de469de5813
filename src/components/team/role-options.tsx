import { ROLES } from '@/server/domains/access/permissions';

/** The roles a member may hand out, as `<option>`s: owners only where the granter is an owner. */
export function RoleOptions({ mayGrantOwner }: { mayGrantOwner: boolean }) {
  return ROLES.filter((option) => mayGrantOwner || option !== 'owner').map((option) => (
    <option key={option} value={option}>
      {option}
    </option>
  ));
}
