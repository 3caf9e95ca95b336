/** Runs one command of a command table: the teacher's `nn-workbook` and the student's share it. */
import { UsageError } from "./paths";

export type Command = (argv: string[]) => Promise<number>;

export async function dispatch(commands: Record<string, Command>, help: string, argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(help);
    return command === undefined ? 2 : 0;
  }
  const handler = commands[command];
  try {
    if (!handler) throw new UsageError(`unknown command '${command}'; commands: ${Object.keys(commands).join(", ")}`);
    return await handler(rest);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))) {
      console.error(`nn-workbook: ${(e as Error).message}`);
      return 2;
    }
    if (e instanceof Error && e.name === "DataError") {
      console.error(`nn-workbook: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
