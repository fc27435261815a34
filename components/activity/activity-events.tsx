import Link from 'next/link';

import { describeEvent } from '@/components/activity/event-words';
import { LocalTime } from '@/components/local-time';
import type { ActivityRow } from '@/lib/shared/activity';

/** When: one moment, or for repeated hand-outs the first and the last. */
function When({ row }: { row: ActivityRow }) {
  if (!row.firstTime || row.firstTime === row.time) return <LocalTime iso={row.time} />;
  return (
    <>
      <LocalTime iso={row.firstTime} /> to <LocalTime iso={row.time} />
    </>
  );
}

function What({ row }: { row: ActivityRow }) {
  const { what, detail } = describeEvent(row);
  return (
    <>
      {what}
      {detail ? <span className="text-slate-600 dark:text-slate-300"> ({detail})</span> : null}
    </>
  );
}

function Account({ row }: { row: ActivityRow }) {
  if (!row.accountId) return null;
  return (
    <>
      {row.accountName ? <span>{row.accountName} </span> : null}
      <span className="font-mono text-slate-600 dark:text-slate-300">{row.accountId}</span>
    </>
  );
}

/**
 * A page of the person's trail, newest first: as a table on a wide screen and as cards on a phone,
 * every field readable at 390 px; a link to the older page when there is one.
 */
export function ActivityEvents({ rows, several, older, newest }: { rows: ActivityRow[]; several: boolean; older?: string; newest: boolean }) {
  return (
    <>
      <ol aria-label="Your activity, newest first" className="mt-6 space-y-3 sm:hidden">
        {rows.map((row) => (
          <li key={row.key} className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
            <p className="font-medium">
              <What row={row} />
            </p>
            <p className="text-slate-600 dark:text-slate-300">
              <When row={row} />
            </p>
            {row.accountId || row.roleName || row.accessKeyId || (several && row.instanceName) ? (
              <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-slate-700 dark:text-slate-200">
                {several && row.instanceName ? (
                  <>
                    <dt>Instance</dt>
                    <dd>{row.instanceName}</dd>
                  </>
                ) : null}
                {row.accountId ? (
                  <>
                    <dt>Account</dt>
                    <dd className="break-all">
                      <Account row={row} />
                    </dd>
                  </>
                ) : null}
                {row.roleName ? (
                  <>
                    <dt>Role</dt>
                    <dd className="break-all">{row.roleName}</dd>
                  </>
                ) : null}
                {row.accessKeyId ? (
                  <>
                    <dt>Access key</dt>
                    <dd className="break-all font-mono">{row.accessKeyId}</dd>
                  </>
                ) : null}
                {row.expiration ? (
                  <>
                    <dt>Expires</dt>
                    <dd>
                      <LocalTime iso={row.expiration} />
                    </dd>
                  </>
                ) : null}
              </dl>
            ) : null}
          </li>
        ))}
      </ol>
      <div className="mt-6 hidden overflow-x-auto sm:block">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Your activity, newest first</caption>
          <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">When</th>
              <th scope="col" className="py-2 pr-4 font-medium">What</th>
              {several ? <th scope="col" className="py-2 pr-4 font-medium">Instance</th> : null}
              <th scope="col" className="py-2 pr-4 font-medium">Account</th>
              <th scope="col" className="py-2 pr-4 font-medium">Role</th>
              <th scope="col" className="py-2 pr-4 font-medium">Access key</th>
              <th scope="col" className="py-2 font-medium">Expires</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} className="border-b border-slate-100 align-top dark:border-slate-800">
                <td className="py-2 pr-4 whitespace-nowrap">
                  <When row={row} />
                </td>
                <td className="py-2 pr-4">
                  <What row={row} />
                </td>
                {several ? <td className="py-2 pr-4">{row.instanceName ?? ''}</td> : null}
                <td className="py-2 pr-4">
                  <Account row={row} />
                </td>
                <td className="py-2 pr-4">{row.roleName ?? ''}</td>
                <td className="py-2 pr-4 font-mono">{row.accessKeyId ?? ''}</td>
                <td className="py-2 whitespace-nowrap">{row.expiration ? <LocalTime iso={row.expiration} /> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {older || !newest ? (
        <nav aria-label="Older and newer activity" className="mt-4 flex gap-4 text-sm">
          {!newest ? (
            <Link href="/activity" className="font-medium underline">
              Newest
            </Link>
          ) : null}
          {older ? (
            <Link href={`/activity?before=${encodeURIComponent(older)}`} className="font-medium underline">
              Older
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
