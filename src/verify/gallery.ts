/**
 * The verify gallery (docs/verify.md): real-world host and guest bugs re-created as switches of
 * the Python example host (VMBUS_BUG) and as small guest programs (docs/examples/gallery), each
 * with the verdict and rule ID `verify` must report. The ring rows belong to docs/verify-ring.md.
 */
import type { HostProfileName } from "../../spec/host/profiles.js";
import type { VerdictKind } from "./session.js";

export interface GalleryBug {
  readonly id: string;
  readonly role: "host" | "guest";
  readonly bug: string;
  /** Where the bug lives (or the behaviour it breaks) upstream. */
  readonly source: string;
  readonly command: string;
  readonly profile: HostProfileName;
  readonly anyGuest?: boolean;
  readonly kind: VerdictKind;
  /** A rule ID the verdict must name. */
  readonly rule: string;
}

export const PYTHON_HOST = "python3 docs/examples/python-host/vmbus_host.py";
const py = (bug: string): string => `VMBUS_BUG=${bug} ${PYTHON_HOST}`;
const guest = (mode: string): string => `python3 docs/examples/gallery/guest_bugs.py ${mode}`;

export const GALLERY: readonly GalleryBug[] = [
  { id: "gpadl-body-complete", role: "host", bug: "GPADL_BODY for a GPADL whose PFNs are all seen aborts the host", source: "QEMU hw/hyperv/vmbus.c handle_gpadl_body assert(num_gfns_left)", command: py("gpadl-body-complete"), profile: "qemu", kind: "crash", rule: "HOST-QEMU-DEFECT-1" },
  { id: "unload-before-contact", role: "host", bug: "UNLOAD before INITIATE_CONTACT posts through a NULL SINT route", source: "QEMU hw/hyperv/vmbus.c handle_unload, post_msg (vmbus->sint_route NULL)", command: py("unload-before-contact"), profile: "qemu", kind: "crash", rule: "HOST-QEMU-DEFECT-2" },
  { id: "range-buflen-underflow", role: "host", bug: "GPADL_HEADER with range_buflen < 8 underflows num_gfns; the 2^32-entry PFN array allocation aborts", source: "QEMU hw/hyperv/vmbus.c handle_gpadl_header (num_gfns = (range_buflen - 8 * rangecount) / 8)", command: py("range-buflen-underflow"), profile: "qemu", kind: "crash", rule: "HOST-QEMU-DEFECT-3" },
  { id: "accept-version-5", role: "host", bug: "a host that accepts VMBus 5.0, a version QEMU refuses", source: "QEMU hw/hyperv/vmbus.c vmbus_initialized (version <= VMBUS_VERSION_CURRENT = 4.0)", command: py("accept-version-5"), profile: "qemu", kind: "divergence", rule: "HOST-CONNECT-2" },
  { id: "panic-guest-type", role: "host", bug: "a host that panics on a message type meant for the guest", source: "QEMU hw/hyperv/vmbus.c process_message (default: error_report \"unknown message type %#x\", the message is dropped)", command: py("panic-guest-type"), profile: "qemu", kind: "crash", rule: "HOST-MSG-3" },
  { id: "no-size-align", role: "host", bug: "a host that posts the exact message length as payload_size (no rounding to 8)", source: "QEMU hw/hyperv/vmbus.c post_msg (VMBUS_MESSAGE_SIZE_ALIGN)", command: py("no-size-align"), profile: "qemu", kind: "divergence", rule: "HOST-CONNECT-2" },
  { id: "guest-no-fallback", role: "guest", bug: "a guest that gives up after its first INITIATE_CONTACT fails instead of trying the next version", source: "Linux drivers/hv/connection.c vmbus_connect (loop over vmbus_versions[])", command: guest("no-fallback"), profile: "qemu", kind: "divergence", rule: "GUEST-VERSION-2" },
  { id: "guest-open-before-offer", role: "guest", bug: "a guest that posts OPENCHANNEL before negotiating a version or seeing an offer", source: "Linux drivers/hv/channel.c vmbus_open (a channel exists only after vmbus_onoffer)", command: guest("open-before-offer"), profile: "qemu", kind: "divergence", rule: "GUEST-VERSION-1" },
  { id: "guest-open-before-offer-any", role: "guest", bug: "the same guest, checked with --any-guest (host rules only)", source: "QEMU hw/hyperv/vmbus.c handle_open_channel (vmbus_initialized check)", command: guest("open-before-offer"), profile: "qemu", anyGuest: true, kind: "divergence", rule: "HOST-MSG-2" },
];
