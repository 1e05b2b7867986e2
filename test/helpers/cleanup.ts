/** Runs after every test file (jest setupFilesAfterEnv): the file's temp dirs go, pass or fail. */
import { removeTempDirs } from './fs.js';

afterAll(() => removeTempDirs());
