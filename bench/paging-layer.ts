/**
 * A loopback HTTP layer in front of moto that pages RDS listings the way RDS does: moto ignores
 * MaxRecords and Marker and answers every listing in one page, which would hide the very cost the
 * API-call benchmark measures. This layer answers DescribeDBClusterSnapshots and DescribeDBClusters
 * with at most MaxRecords items (RDS's default and maximum, 100, when absent) and a Marker for the
 * rest, so a client that pages makes one request per page, as it would on AWS.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { failRequest, forward, listenOnLoopback, readBody } from '../test/support/http-forward.js';

/** RDS's default (and largest) MaxRecords for these listings. */
export const RDS_DEFAULT_PAGE_SIZE = 100;

/** Listings this layer pages: the action, the list element and its member element. */
const PAGED: Readonly<Record<string, { readonly list: string; readonly member: string }>> = {
  DescribeDBClusterSnapshots: { list: 'DBClusterSnapshots', member: 'DBClusterSnapshot' },
  DescribeDBClusters: { list: 'DBClusters', member: 'DBCluster' },
};

export interface PagingLayer {
  /** `http://127.0.0.1:<port>`: the target of the counting proxy. */
  readonly endpoint: string;
  /** Pages served per action (moto answered the first page of each listing; later pages came from memory). */
  pages(): Record<string, number>;
  stop(): Promise<void>;
}

/** A listing split into the XML before the items, the items, and the XML after them. */
interface Listing {
  readonly head: string;
  readonly items: readonly string[];
  readonly tail: string;
}

/** Splits `<list><member>...</member>...</list>` out of a query-protocol answer; undefined if absent. */
export function splitListing(xml: string, list: string, member: string): Listing | undefined {
  const open = `<${list}>`;
  const close = `</${list}>`;
  const start = xml.indexOf(open);
  const end = xml.lastIndexOf(close);
  if (start < 0 || end < start) {
    // An empty list may be written as a self-closing element: nothing to page.
    return undefined;
  }
  const body = xml.slice(start + open.length, end);
  const memberOpen = `<${member}>`;
  const memberClose = `</${member}>`;
  const items: string[] = [];
  let at = body.indexOf(memberOpen);
  while (at >= 0) {
    // Members never nest an element of their own name (children are named e.g. DBClusterSnapshotArn).
    const stop = body.indexOf(memberClose, at);
    if (stop < 0) throw new Error(`paging layer: unterminated <${member}> in a ${list} listing`);
    items.push(body.slice(at, stop + memberClose.length));
    at = body.indexOf(memberOpen, stop);
  }
  return { head: xml.slice(0, start + open.length), items, tail: xml.slice(end) };
}

/** The page of a listing starting at `offset`, with `<Marker>` when more items follow. */
export function pageOf(
  listing: Listing,
  offset: number,
  size: number,
  nextMarker: string | undefined,
): string {
  const items = listing.items.slice(offset, offset + size).join('');
  if (nextMarker === undefined) return `${listing.head}${items}${listing.tail}`;
  // The Marker belongs to the *Result element; the SDK's parser does not care about the order.
  const marker = `<Marker>${nextMarker}</Marker>`;
  const resultOpen = listing.head.search(/<[A-Za-z]+Result>/);
  if (resultOpen < 0) throw new Error('paging layer: no Result element in the listing');
  const insertAt = listing.head.indexOf('>', resultOpen) + 1;
  return `${listing.head.slice(0, insertAt)}${marker}${listing.head.slice(insertAt)}${items}${listing.tail}`;
}

function send(res: ServerResponse, status: number, headers: IncomingMessage['headers'], body: Buffer): void {
  const out = { ...headers, 'content-length': String(body.length) };
  delete out['transfer-encoding'];
  delete out.connection;
  res.writeHead(status, out);
  res.end(body);
}

/** A listing in flight: later pages are served from the first answer, as one consistent view. */
interface Cursor {
  readonly listing: Listing;
  readonly size: number;
}

/** Listings abandoned half-way are forgotten once this many are open. */
const MAX_OPEN_CURSORS = 64;

export async function startPagingLayer(options: { readonly target: string }): Promise<PagingLayer> {
  const target = new URL(options.target);
  const cursors = new Map<string, Cursor>();
  const pages = new Map<string, number>();
  let cursorNumber = 0;

  /** The page at `offset`; the cursor is forgotten once its last page is served. */
  const serve = (cursorId: string, cursor: Cursor, offset: number): Buffer => {
    const end = offset + cursor.size;
    const more = end < cursor.listing.items.length;
    if (!more) cursors.delete(cursorId);
    const xml = pageOf(cursor.listing, offset, cursor.size, more ? `${cursorId}.${end}` : undefined);
    return Buffer.from(xml, 'utf8');
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const params = new URLSearchParams(body.toString('utf8'));
      const action = params.get('Action') ?? '';
      const paged = PAGED[action];
      if (!paged) {
        const upstream = await forward(target, req, body);
        send(res, upstream.status, upstream.headers, upstream.body);
        return;
      }
      pages.set(action, (pages.get(action) ?? 0) + 1);
      const marker = params.get('Marker');
      if (marker) {
        const [cursorId = '', offsetText = ''] = marker.split('.');
        const cursor = cursors.get(cursorId);
        if (!cursor) {
          const error =
            '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>' +
            `<Message>paging layer: unknown Marker ${marker}</Message></Error></ErrorResponse>`;
          send(res, 400, { 'content-type': 'text/xml' }, Buffer.from(error));
          return;
        }
        send(res, 200, { 'content-type': 'text/xml' }, serve(cursorId, cursor, Number(offsetText)));
        return;
      }
      const upstream = await forward(target, req, body);
      const xml = upstream.body.toString('utf8');
      const listing = upstream.status === 200 ? splitListing(xml, paged.list, paged.member) : undefined;
      if (!listing) {
        send(res, upstream.status, upstream.headers, upstream.body);
        return;
      }
      const requested = Number(params.get('MaxRecords') ?? RDS_DEFAULT_PAGE_SIZE);
      const size = Number.isInteger(requested) && requested > 0 ? requested : RDS_DEFAULT_PAGE_SIZE;
      cursorNumber += 1;
      const cursorId = `bench-page-${cursorNumber}`;
      const cursor = { listing, size };
      cursors.set(cursorId, cursor);
      if (cursors.size > MAX_OPEN_CURSORS) {
        const oldest = cursors.keys().next().value;
        if (oldest !== undefined) cursors.delete(oldest);
      }
      send(res, 200, upstream.headers, serve(cursorId, cursor, 0));
    })().catch((error: unknown) => failRequest(res, 'paging layer', error));
  });

  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    pages: () => Object.fromEntries(pages),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
