import { ContioPartnerSDK } from '@contio/partner-sdk';

const { admin } = ContioPartnerSDK.forAdmin({ apiKey: process.env.CONTIO_API_KEY ?? '' }); // want: CD4604

export async function listWorkflows() {
  return admin.listWorkflowTemplates();
}
