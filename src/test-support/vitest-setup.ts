// vitest setupFiles entry (vitest.config.ts): runs in every test file's process before the file.
import { dropTfjsNodeBanner } from './tfjs-banner';

dropTfjsNodeBanner(console);
