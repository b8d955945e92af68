/** A stack's synthesized Terraform JSON (cdktf.out/stacks/<stack>/cdk.tf.json), as far as the review reads it. */
export interface SynthesizedStackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, SynthesizedResourceJson>>>>;
}

interface SynthesizedResourceJson {
  readonly "//"?: { readonly metadata?: { readonly path?: string } };
  readonly [attribute: string]: unknown;
}

/**
 * Construct paths by Terraform address ("<type>.<name>"): cdktf writes each resource's path in its
 * "//" metadata. Addresses with an index (count/for_each) map through their resource address.
 */
export function constructPaths(stack: SynthesizedStackJson | undefined): ReadonlyMap<string, string> {
  const paths = new Map<string, string>();
  for (const [type, resources] of Object.entries(stack?.resource ?? {})) {
    for (const [name, resource] of Object.entries(resources)) {
      const constructPath = resource["//"]?.metadata?.path;
      if (constructPath) paths.set(`${type}.${name}`, constructPath);
    }
  }
  return paths;
}

/** The synthesized resource behind a plan address, e.g. to read a literal value the plan shows as unknown. */
export function synthesizedResource(
  stack: SynthesizedStackJson | undefined,
  type: string,
  name: string,
): SynthesizedResourceJson | undefined {
  return stack?.resource?.[type]?.[name];
}
