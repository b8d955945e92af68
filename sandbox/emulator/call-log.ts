import { appendFileSync } from "node:fs";

export interface CallLogEntry {
  time: string;
  service: string;
  action: string;
  accountId?: string;
  principal?: string;
  region: string;
  status: number;
  errorCode?: string;
}

/** Every API call, kept in memory and appended to a JSON-lines file: the input for a least-privilege policy. */
export class CallLog {
  readonly entries: CallLogEntry[] = [];

  constructor(private readonly file?: string) {}

  record(entry: Omit<CallLogEntry, "time">): void {
    const full: CallLogEntry = { time: new Date().toISOString(), ...entry };
    this.entries.push(full);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(full)}\n`);
  }
}
