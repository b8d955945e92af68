import { DataResource, Fn, Op, type IResolvable, type ITerraformDependable, type Precondition } from "cdktf";
import { Construct } from "constructs";
import type { AnyKind } from "./contract";

interface ReconciledResourceProps<Desired> {
  readonly kind: AnyKind<Desired>;
  readonly region: string;
  /** May hold tokens (ARNs of resources of the same stack). */
  readonly desired: Desired;
  /** Role the reconcile CLI assumes, as the provider does. @default - the caller's credentials */
  readonly roleArn?: string;
  /** What must exist before the kind's first call. @default - nothing */
  readonly dependsOn?: ITerraformDependable[];
  /** Plan-time checks, e.g. that trusted access is enabled. @default - none */
  readonly preconditions?: Precondition[];
  /**
   * A plan-time boolean, true while the live state matches the desired one (read by a data source). When it is
   * false the resource is replaced, so a plain `cdktf deploy` puts back what changed outside Terraform.
   * @default - none: only a change of the desired state runs the CLI again; `npm run reconcile -- restore` does
   */
  readonly liveInSync?: IResolvable;
}

/** Runs from cdktf.out/stacks/<stack>: the project root holds the CLI and its node_modules. */
const projectRoot = "${path.root}/../../..";

/**
 * What Terraform cannot manage, recorded as `{ kind, region, desired }` in a terraform_data resource whose
 * local-exec provisioner runs the reconcile CLI: it reads the live state and changes only what differs. The
 * resource is replaced, and so runs again, whenever the input changes; drift compares the recorded input with
 * the live state.
 *
 * With `liveInSync`, the trigger also holds `live`: "in-sync" while the data source agrees, and otherwise a
 * value unknown until apply (timestamp() is unknown in a plan) that the apply then resolves to "in-sync" again.
 * The plan that sees the drift replaces the resource; the state keeps "in-sync", so the next plan is clean.
 */
export class ReconciledResource<Desired> extends Construct {
  readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: ReconciledResourceProps<Desired>) {
    super(scope, id);
    const input = { kind: props.kind.kind, region: props.region, desired: props.desired };
    const roleOption = props.roleArn ? ' --role-arn "$LM_RECONCILE_ROLE"' : "";
    const live = props.liveInSync
      ? Fn.conditional(
          props.liveInSync,
          "in-sync",
          // Never "restore": the comparison only makes the value unknown until apply. (Op.neq with "" renders
          // `!= undefined` in cdktf 0.21, which Terraform reads as a resource reference.)
          Fn.conditional(Op.neq(Fn.timestamp(), "never"), "in-sync", "restore"),
        )
      : undefined;

    this.resource = new DataResource(this, "apply", {
      input,
      triggersReplace: live === undefined ? input : { ...input, live },
      dependsOn: props.dependsOn,
      ...(props.preconditions &&
        props.preconditions.length > 0 && { lifecycle: { precondition: props.preconditions } }),
      provisioners: [
        {
          type: "local-exec",
          workingDir: projectRoot,
          // Passed through the environment so the shell never parses the JSON or the ARN.
          command: `npx --no-install tsx tools/reconcile.ts apply --input "$LM_RECONCILE_INPUT"${roleOption}`,
          environment: {
            LM_RECONCILE_INPUT: Fn.jsonencode(input),
            ...(props.roleArn && { LM_RECONCILE_ROLE: props.roleArn }),
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
          },
        },
      ],
    });
  }
}
