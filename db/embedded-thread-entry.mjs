// Entry of the embedded database's thread: registers the TypeScript loader in this thread, then
// runs db/embedded-server.ts. Started by db/embedded-thread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./embedded-server.ts');
