// The version printed by --version and written into SARIF, from package.json at build time.
import { version } from '../../package.json';

export const VERSION: string = version;
