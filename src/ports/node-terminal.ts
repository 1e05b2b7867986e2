/**
 * The CLI's terminal: its stderr, and questions read from stdin when stdin is a terminal (apply and
 * destroy ask before changing what nobody has reviewed, docs/terraform.md). While a question waits
 * for its answer, the lines other instances print are held and written after it, so the question
 * stays the last thing on the screen.
 */
import readline from 'node:readline';

export interface Terminal {
  /** Writes to stderr (held while a question is open). */
  write(text: string): void;
  /** Asks on stderr and reads one line from stdin; absent when stdin is not a terminal. */
  ask?: (question: string) => Promise<string>;
}

export function nodeTerminal(): Terminal {
  let held: string[] | undefined;
  const write = (text: string) => {
    if (held) held.push(text);
    else process.stderr.write(text);
  };
  if (!process.stdin.isTTY) return { write };
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      held = [];
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      const done = (answer: string) => {
        rl.close();
        const lines = held ?? [];
        held = undefined;
        for (const l of lines) process.stderr.write(l);
        resolve(answer);
      };
      // Ctrl-C at the question: no answer, and the run is cancelled as by any Ctrl-C.
      rl.on('SIGINT', () => {
        process.stderr.write('\n');
        done('');
        process.kill(process.pid, 'SIGINT');
      });
      rl.question(question, done);
    });
  return { write, ask };
}
