import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string | undefined;
  parsed: ParsedMail;
}

export interface TestSmtp {
  port: number;
  url: string;
  received: ReceivedEmail[];
  /** Resolves with the first email to `to` not yet taken by an earlier wait. */
  waitForEmail(to: string, options?: { timeoutMs?: number; subject?: RegExp }): Promise<ReceivedEmail>;
  stop(): Promise<void>;
}

/**
 * A real SMTP server in the test process (no auth, no TLS) on 127.0.0.1. Every message is parsed
 * with mailparser, so tests read what a mail client would. `port` can be reused to start it again
 * after stopping it (to simulate an outage).
 */
export async function startSmtpServer(
  port = 0,
  options: { rejectRecipients?: string[] } = {},
): Promise<TestSmtp> {
  const received: ReceivedEmail[] = [];
  const taken = new Set<ReceivedEmail>();
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // Close open (pooled) client connections at once when the test stops the server.
    closeTimeout: 50,
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipients?.includes(address.address)) {
        const err = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to.flatMap((a) => a.value) : (parsed.to?.value ?? []);
          received.push({
            to: to.map((a) => a.address ?? '').join(','),
            from: parsed.from?.value[0]?.address ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId,
            parsed,
          });
          for (const w of waiters.splice(0)) w();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;

  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    received,
    waitForEmail(to, options = {}) {
      const timeoutMs = options.timeoutMs ?? 10_000;
      return new Promise((resolve, reject) => {
        const find = () =>
          received.find(
            (e) =>
              !taken.has(e) &&
              e.to.toLowerCase() === to.toLowerCase() &&
              (!options.subject || options.subject.test(e.subject)),
          );
        const timer = setTimeout(
          () => reject(new Error(`no email to ${to} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const check = () => {
          const hit = find();
          if (hit) {
            taken.add(hit);
            clearTimeout(timer);
            resolve(hit);
          } else waiters.push(check);
        };
        check();
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
