/**
 * SLOT: per-role actions (credentials, console sign-in), next to each role's star, in every place a
 * role is listed (under an expanded account, in Favorites, in Recent).
 *
 * The issue that adds credential hand-outs fills this in. Until then it renders nothing on purpose:
 * the page shows no control that does not work yet. `tabIndex` is the row's roving tab index
 * (0 on the row that holds the list's tab stop, else -1); give it to every control rendered here.
 */
export interface RoleActionsProps {
  accountId: string;
  accountName: string;
  roleName: string;
  tabIndex: 0 | -1;
}

export function RoleActions(props: RoleActionsProps) {
  void props;
  return null;
}
