// An organization in moto's Organizations, built as the organization demo builds it (src/demo/emulated-organization.ts).
export {
  addAccount,
  createOrganization,
  type EmulatedOrganization as TestOrganization,
  type OrganizationSpec,
  organizationsCall,
} from '../../src/demo/emulated-organization.js';
