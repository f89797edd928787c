/**
 * A loopback layer in front of moto for STS: AssumeRole of a role that does not exist is refused, as AWS does
 * (the organization demo's `status --organization` and the tests of the fleet view need it).
 */
import { MOTO_ACCOUNT_HEADER } from '../aws/clients.js';
import { EMULATOR_DEFAULT_ACCOUNT } from './emulator.js';
import { type Layer, type send, startLayer } from './http-forward.js';

export interface RoleCheckingLayer extends Layer {
  /** The role ARNs AssumeRole was asked for, in order. */
  readonly assumed: string[];
}

/** Whether the role exists in its account: IAM's GetRole (Query protocol) on moto, acting as that account. */
async function roleExists(target: string, account: string, name: string): Promise<boolean> {
  const response = await fetch(new URL('/', target), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      // moto checks no signature, only the service the credential scope names.
      authorization:
        'AWS4-HMAC-SHA256 Credential=emulator/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
      [MOTO_ACCOUNT_HEADER]: account,
    },
    body: new URLSearchParams({ Action: 'GetRole', Version: '2010-05-08', RoleName: name }).toString(),
  });
  await response.arrayBuffer();
  return response.ok;
}

function accessDenied(arn: string): Parameters<typeof send>[1] {
  return {
    status: 403,
    headers: { 'content-type': 'text/xml' },
    body: Buffer.from(
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
        `<Message>User: arn:aws:iam::${EMULATOR_DEFAULT_ACCOUNT}:user/admin is not authorized to perform: sts:AssumeRole on resource: ${arn}</Message>` +
        '</Error><RequestId>role-check</RequestId></ErrorResponse>',
    ),
  };
}

/**
 * AWS refuses AssumeRole of a role that does not exist (AccessDenied); moto hands out credentials for any
 * role. This layer asks moto's IAM whether the role exists in its account before letting AssumeRole through,
 * and names the account of the credentials it issued on the requests they sign.
 */
export async function startRoleCheckingLayer(target: string): Promise<RoleCheckingLayer> {
  const assumed: string[] = [];
  const accountOfKey = new Map<string, string>();
  const layer = await startLayer(target, 'role checking layer', async ({ action, form }, req, pass) => {
    if (action === 'AssumeRole') {
      const arn = form.get('RoleArn') ?? '';
      assumed.push(arn);
      const [, account, name] = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(arn) ?? [];
      if (account === undefined || name === undefined || !(await roleExists(target, account, name))) {
        return accessDenied(arn);
      }
    }
    // moto acts as the role's account for its credentials; the layer behind (which hides foreign tags, as
    // AWS does) knows the caller by moto's account header, so requests signed with them carry it.
    const key = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
    const actingAs = key === undefined ? undefined : accountOfKey.get(key);
    if (actingAs !== undefined) req.headers[MOTO_ACCOUNT_HEADER] = actingAs;
    const answer = await pass();
    if (action === 'AssumeRole' && answer.status === 200) {
      const issued = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(answer.body.toString('utf8'))?.[1];
      const account = /^arn:aws:iam::(\d{12}):/.exec(form.get('RoleArn') ?? '')?.[1];
      if (issued !== undefined && account !== undefined) accountOfKey.set(issued, account);
    }
    return answer;
  });
  return { ...layer, assumed };
}
