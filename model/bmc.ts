/**
 * When two BMC addresses reach the same machine. The scheme only picks the protocol metal3 speaks to the BMC
 * (`redfish-virtualmedia://h/x`, `redfish://h/x` and `idrac-virtualmedia://h/x` drive one machine), so the machine
 * is the rest of the address, compared without case and trailing slashes. `ztpfw validate` (fleet-unique
 * `bmc_url`) and `ztpfw verify` (fleet-unique BareMetalHost `spec.bmc.address`) share this notion.
 */
export function bmcIdentity(address: string): string {
  const m = /^[a-z0-9+-]+:\/\/(.*)$/i.exec(address);
  return (m ? m[1] : address).toLowerCase().replace(/\/+$/, '');
}
