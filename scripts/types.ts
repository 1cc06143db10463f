/** `npm run types`: regenerates worker/worker-configuration.d.ts from wrangler.toml. */
import { TYPES_ARGS, wrangler } from "./wrangler-cli.ts";

if (!wrangler(TYPES_ARGS)) process.exit(1);
