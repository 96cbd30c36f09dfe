// @t3-oss/env-core (and env-nextjs, env-nuxt): `createEnv` validates the environment with zod and
// returns it. schemac does not validate: it returns the runtime environment the options name,
// with the default of each declared variable that is not set (`z.string().default('')`).
export function createEnv(options: any) {
  const runtime = options.runtimeEnv ?? options.runtimeEnvStrict ?? process.env;
  const env = { ...runtime };
  for (const schemas of [options.server, options.client, options.shared]) {
    for (const key of Object.keys(schemas ?? {})) {
      if (env[key] === undefined) {
        env[key] = schemas[key].parse(undefined);
      }
    }
  }
  return env;
}
