import { type Static, Type } from 'typebox';

export const PublicConfigResponse = Type.Object({
  supportEmail: Type.String(),
  supportPhone: Type.String(),
  mailbox: Type.Boolean({ description: 'true when the built-in test mailbox is mounted at /dev/mailbox' }),
  demo: Type.Boolean({ description: 'true when the portal runs with fictitious demo data' }),
});
export type PublicConfigResponse = Static<typeof PublicConfigResponse>;
