// @t3-oss/env-core (and env-nextjs, env-nuxt): `createEnv` validates the environment with zod and
// returns it. schemac does not run zod, so it returns the runtime environment the options name;
// defaults declared in the zod schemas are not applied.
export function createEnv(options: any) {
  const runtime = options.runtimeEnv ?? options.runtimeEnvStrict ?? process.env;
  return { ...runtime };
}
