import { AwsError } from "../errors";
import type { QueryParams } from "../query-params";
import { iamAccount, type OpenIdConnectProviderState, type Tag } from "../state";
import { isoTime, toXml } from "../xml";
import type { CallContext, QueryHandler } from "./types";

/** `arn:aws:iam::<acct>:oidc-provider/<host and path of the issuer URL>`. */
export function openIdConnectProviderArn(accountId: string, url: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${url.replace(/^https:\/\//, "").replace(/\/+$/, "")}`;
}

export function openIdConnectProviders(
  call: Pick<CallContext, "state">,
  accountId: string,
): Record<string, OpenIdConnectProviderState> {
  return (iamAccount(call.state, accountId).openIdConnectProviders ??= {});
}

function findProvider(call: CallContext, params: QueryParams): OpenIdConnectProviderState {
  const arn = params.require("OpenIDConnectProviderArn");
  const provider = openIdConnectProviders(call, call.caller.accountId)[arn];
  if (!provider) throw new AwsError("NoSuchEntity", `OpenIDConnect Provider not found for arn ${arn}`, 404);
  return provider;
}

function thumbprints(params: QueryParams): string[] {
  const list = params.list("ThumbprintList");
  const bad = list.find((thumbprint) => !/^[0-9a-fA-F]{40}$/.test(thumbprint));
  if (bad !== undefined) {
    throw new AwsError("InvalidInput", `Thumbprint ${bad} must be 40 hexadecimal characters.`);
  }
  if (list.length > 5) throw new AwsError("InvalidInput", "A provider can have at most 5 thumbprints.");
  return list;
}

function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  return [...existing.filter((t) => !added.some((a) => a.Key === t.Key)), ...added];
}

/**
 * IAM OIDC identity providers, as aws_iam_openid_connect_provider manages them. The ARN names the issuer
 * without its scheme; GetOpenIDConnectProvider returns the URL without it too.
 */
export const iamOpenIdConnectActions: Record<string, QueryHandler> = {
  CreateOpenIDConnectProvider: (call, params) => {
    const url = params.require("Url");
    if (!/^https:\/\/[^\s/]+/.test(url)) {
      throw new AwsError("InvalidInput", `Invalid Url: ${url}. The URL must begin with https://`);
    }
    const arn = openIdConnectProviderArn(call.caller.accountId, url);
    const providers = openIdConnectProviders(call, call.caller.accountId);
    if (providers[arn]) {
      throw new AwsError("EntityAlreadyExists", `Provider with url ${url} already exists.`, 409);
    }
    const tags = params.tags();
    providers[arn] = {
      arn,
      url,
      clientIds: [...new Set(params.list("ClientIDList"))],
      thumbprints: thumbprints(params),
      createdAt: Math.floor(Date.now() / 1000),
      tags,
    };
    return toXml({ OpenIDConnectProviderArn: arn, Tags: tags.length > 0 ? tags : undefined });
  },

  GetOpenIDConnectProvider: (call, params) => {
    const provider = findProvider(call, params);
    return toXml({
      Url: provider.url.replace(/^https:\/\//, ""),
      ClientIDList: provider.clientIds,
      ThumbprintList: provider.thumbprints,
      CreateDate: isoTime(provider.createdAt),
      Tags: provider.tags.length > 0 ? provider.tags : undefined,
    });
  },

  ListOpenIDConnectProviders: (call) => {
    const arns = Object.keys(openIdConnectProviders(call, call.caller.accountId)).sort();
    return toXml({ OpenIDConnectProviderList: arns.map((Arn) => ({ Arn })) });
  },

  DeleteOpenIDConnectProvider: (call, params) => {
    const provider = findProvider(call, params);
    delete openIdConnectProviders(call, call.caller.accountId)[provider.arn];
    return undefined;
  },

  UpdateOpenIDConnectProviderThumbprint: (call, params) => {
    findProvider(call, params).thumbprints = thumbprints(params);
    return undefined;
  },

  AddClientIDToOpenIDConnectProvider: (call, params) => {
    const provider = findProvider(call, params);
    const clientId = params.require("ClientID");
    if (!provider.clientIds.includes(clientId)) provider.clientIds.push(clientId);
    return undefined;
  },

  RemoveClientIDFromOpenIDConnectProvider: (call, params) => {
    const provider = findProvider(call, params);
    const clientId = params.require("ClientID");
    provider.clientIds = provider.clientIds.filter((id) => id !== clientId);
    return undefined;
  },

  ListOpenIDConnectProviderTags: (call, params) =>
    `${toXml({ Tags: findProvider(call, params).tags })}<IsTruncated>false</IsTruncated>`,

  TagOpenIDConnectProvider: (call, params) => {
    const provider = findProvider(call, params);
    provider.tags = mergeTags(provider.tags, params.tags());
    return undefined;
  },

  UntagOpenIDConnectProvider: (call, params) => {
    const provider = findProvider(call, params);
    const removed = params.list("TagKeys");
    provider.tags = provider.tags.filter((t) => !removed.includes(t.Key));
    return undefined;
  },
};
