/** Entry point of the container: HTTPS with the service CA's serving certificate when mounted, else HTTP. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

try {
  const config = loadConfig();
  const app = createApp(config);
  const server = config.tls ? https.createServer({ cert: fs.readFileSync(config.tls.cert), key: fs.readFileSync(config.tls.key) }, app) : http.createServer(app);
  server.listen(config.port, () => console.log(`ztpfw-ui listening on ${config.tls ? 'https' : 'http'} port ${config.port}`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (e) {
  console.error(e instanceof ConfigError ? `error: ${e.message}` : `error: ${(e as Error).message}`);
  process.exit(1);
}
