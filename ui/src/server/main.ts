/**
 * Entry point of the container: HTTPS with the service CA's serving certificate when mounted (reloaded when the
 * service CA rotates it), else HTTP. A bad configuration is one line on stderr and exit 1.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { createApp } from './app.js';
import { loadConfig } from './config.js';

try {
  const config = loadConfig();
  const app = createApp(config);
  let server: http.Server | https.Server;
  if (config.tls) {
    const tls = config.tls;
    const read = () => ({ cert: fs.readFileSync(tls.cert), key: fs.readFileSync(tls.key) });
    let current = read();
    const secure = https.createServer(current, app);
    // kubelet swaps the mounted Secret's files when the service CA renews the certificate
    setInterval(() => {
      try {
        const next = read();
        if (!next.cert.equals(current.cert) || !next.key.equals(current.key)) {
          secure.setSecureContext(next);
          current = next;
          console.log('serving certificate reloaded');
        }
      } catch (e) {
        console.error(`serving certificate not reloaded: ${(e as Error).message}`);
      }
    }, 60_000).unref();
    server = secure;
  } else server = http.createServer(app);
  server.listen(config.port, () => console.log(`ztpfw-ui listening on ${config.tls ? 'https' : 'http'} port ${config.port}`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
}
