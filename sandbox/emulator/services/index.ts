import {
  licenseManagerAuthorization,
  organizationsAuthorization,
  resourceGroupsTaggingAuthorization,
  type JsonAuthorization,
} from "../authorization/json-operations";
import {
  iamAuthorization,
  snsAuthorization,
  stsAuthorization,
  type QueryAuthorization,
} from "../authorization/query-operations";
import { iamActions } from "./iam";
import { licenseAssociationActions } from "./license-manager-associations";
import { grantActions } from "./license-manager-grants";
import { licenseConfigurationActions } from "./license-manager-configurations";
import { reportGeneratorActions } from "./license-manager-report-generators";
import { licenseManagerSettingsActions } from "./license-manager-settings";
import { organizationsActions } from "./organizations";
import { resourceGroupsTaggingActions } from "./resource-groups-tagging";
import { snsActions } from "./sns";
import { stsActions } from "./sts";
import type { JsonHandler, QueryHandler } from "./types";

export interface JsonService {
  name: string;
  actions: Record<string, JsonHandler>;
  /** Per operation: the IAM action, resources and condition keys it is authorized with. */
  authorization: Record<string, JsonAuthorization>;
}

/** JSON 1.1 services, by the prefix of their `X-Amz-Target` header. */
export const jsonServices: Record<string, JsonService> = {
  AWSOrganizationsV20161128: {
    name: "organizations",
    actions: organizationsActions,
    authorization: organizationsAuthorization,
  },
  AWSLicenseManager: {
    name: "license-manager",
    actions: {
      ...licenseManagerSettingsActions,
      ...licenseConfigurationActions,
      ...licenseAssociationActions,
      ...reportGeneratorActions,
      ...grantActions,
    },
    authorization: licenseManagerAuthorization,
  },
  ResourceGroupsTaggingAPI_20170126: {
    // IAM's service prefix (tag:GetResources), as the other services' names are theirs.
    name: "tag",
    actions: resourceGroupsTaggingActions,
    authorization: resourceGroupsTaggingAuthorization,
  },
};

export interface QueryService {
  actions: Record<string, QueryHandler>;
  xmlns: string;
  /**
   * Per operation: the IAM action, resources and condition keys it is authorized with.
   * sts:AssumeRoleWithWebIdentity is authorized apart: its caller has no IAM identity.
   */
  authorization: Record<string, QueryAuthorization>;
}

/** Query-protocol services, by the service name in the SigV4 credential scope. */
export const queryServices: Record<string, QueryService> = {
  iam: {
    actions: iamActions,
    xmlns: "https://iam.amazonaws.com/doc/2010-05-08/",
    authorization: iamAuthorization,
  },
  sts: {
    actions: stsActions,
    xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
    authorization: stsAuthorization,
  },
  sns: {
    actions: snsActions,
    xmlns: "http://sns.amazonaws.com/doc/2010-03-31/",
    authorization: snsAuthorization,
  },
};
