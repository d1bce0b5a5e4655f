// What each platform lets an organisation do with a comment on its own channel.
import type { Platform, PlatformCapabilities } from './policy.schema.ts';

export const platformCapabilities: Record<Platform, PlatformCapabilities> = {
  facebook: { canRemove: true, canHide: true, canMessage: true },
  instagram: { canRemove: true, canHide: true, canMessage: true },
  // UP-4: comments on X (Twitter) cannot be removed; replies can only be hidden.
  x: { canRemove: false, canHide: true, canMessage: false },
  linkedin: { canRemove: true, canHide: false, canMessage: true },
  youtube: { canRemove: true, canHide: true, canMessage: true },
  tiktok: { canRemove: true, canHide: true, canMessage: true },
  // Chosen default: an unknown platform is assumed able to remove but not to message.
  other: { canRemove: true, canHide: false, canMessage: false },
};
