/** `verify guest` (filled in below the host role). */
export interface GuestCommandOptions {
  readonly impl: string;
  readonly profile: string;
  readonly seed: number;
  readonly sessions: number;
  readonly depth: number;
  readonly timeoutMs: number;
  readonly json: boolean;
  readonly out: string | undefined;
  readonly force: boolean;
  readonly anyGuest: boolean;
  readonly replayFile: string | undefined;
}
export const verifyGuestCommand = async (o: GuestCommandOptions): Promise<number> => {
  process.stderr.write(`vmbus-spec verify: the guest role is not available in this build (${o.impl})\n`);
  return 2;
};
