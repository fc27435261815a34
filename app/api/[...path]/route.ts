import { errorResponse } from '@/lib/server/http/api';
import { notFoundError } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * Any path under /api that names no route: a 404 in the API's error shape, whatever the method,
 * instead of the HTML page for people.
 */
const notFound = async (): Promise<Response> => errorResponse(notFoundError('There is no such API route.'));

export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as POST, notFound as PUT };
