import { checkCall } from "../../sandbox/emulator/conformance/check";
import type { CallLogEntry } from "../../sandbox/emulator/call-log";

const entry = (
  service: string,
  action: string,
  request: string,
  response: string,
  status = 200,
  errorCode?: string,
): CallLogEntry => ({
  time: "2026-01-01T00:00:00Z",
  service,
  action,
  region: "us-east-1",
  status,
  errorCode,
  capture: { request, response },
});

const problems = (e: CallLogEntry) => checkCall(e).map((v) => `${v.part} ${v.path}: ${v.problem}`);

describe("the conformance checker", () => {
  it("accepts a JSON call that matches the model", () => {
    const response = {
      EnabledServicePrincipals: [{ ServicePrincipal: "sso.amazonaws.com", DateEnabled: 1.7e9 }],
    };
    expect(
      problems(entry("organizations", "ListAWSServiceAccessForOrganization", "{}", JSON.stringify(response))),
    ).toEqual([]);
  });

  it("reports unknown members, missing required members, wrong types and ISO timestamps in JSON", () => {
    const request = { ServicePrincipal: 1, Extra: true };
    const response = {
      EnabledServicePrincipals: [{ ServicePrincipal: "x", DateEnabled: "2026-01-01T00:00:00Z" }],
    };
    expect(problems(entry("organizations", "EnableAWSServiceAccess", JSON.stringify(request), "{}"))).toEqual(
      ["request ServicePrincipal: expected a string, got 1", "request Extra: member not in the model"],
    );
    expect(problems(entry("organizations", "EnableAWSServiceAccess", "{}", "{}"))).toEqual([
      "request ServicePrincipal: required member missing",
    ]);
    expect(
      problems(entry("organizations", "ListAWSServiceAccessForOrganization", "{}", JSON.stringify(response))),
    ).toEqual([
      'response EnabledServicePrincipals[0].DateEnabled: expected a timestamp in epoch seconds (a number), got "2026-01-01T00:00:00Z"',
    ]);
  });

  it("accepts members AWS added after aws-sdk v2's last models when the SDK v3 schema has them", () => {
    const account = { Id: "222222222222", Status: "ACTIVE", State: "ACTIVE" };
    expect(
      problems(
        entry(
          "organizations",
          "DescribeAccount",
          '{"AccountId":"222222222222"}',
          JSON.stringify({ Account: account }),
        ),
      ),
    ).toEqual([]);
  });

  it("checks query parameters with the flattening rules and XML with the result wrapper", () => {
    const request = "Action=TagRole&Version=2010-05-08&RoleName=r&Tags.member.1.Key=a&Tags.member.1.Value=1";
    const ok =
      "<TagRoleResponse><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></TagRoleResponse>";
    expect(problems(entry("iam", "TagRole", request, ok))).toEqual([]);
    expect(problems(entry("iam", "TagRole", "Action=TagRole&RoleName=r&Tags.1.Key=a", ok))).toEqual([
      "request Tags.1: expected member.N",
    ]);
    const role = (created: string) =>
      `<GetRoleResponse><GetRoleResult><Role><Path>/</Path><RoleName>r</RoleName><RoleId>AROA</RoleId><Arn>arn</Arn><CreateDate>${created}</CreateDate><MaxSessionDuration>x</MaxSessionDuration><Colour>red</Colour></Role></GetRoleResult></GetRoleResponse>`;
    expect(problems(entry("iam", "GetRole", "Action=GetRole&RoleName=r", role("1700000000")))).toEqual([
      'response Role.CreateDate: expected an ISO 8601 timestamp, got "1700000000"',
      'response Role.MaxSessionDuration: expected integer, got "x"',
      "response Role.Colour: member not in the model",
    ]);
  });

  it("checks error codes and their HTTP status against the SDK v3 clients' error schemas", () => {
    const error = (code: string, status: number) =>
      entry("iam", "GetRole", "Action=GetRole&RoleName=r", "", status, code);
    expect(problems(error("NoSuchEntity", 404))).toEqual([]);
    expect(problems(error("NoSuchEntity", 400))).toEqual([
      "error NoSuchEntity: HTTP 400, the SDK's schema says 404",
    ]);
    expect(problems(error("NoSuchEntityException", 404))).toEqual([
      "error NoSuchEntityException: error code not among the SDK v3 client's errors nor AWS's common errors",
    ]);
    expect(problems(error("ServiceFailure", 400))).toEqual([
      "error ServiceFailure: a server error answered with HTTP 400",
      "error ServiceFailure: HTTP 400, the SDK's schema says 500",
    ]);
  });
});
