import { ContioPartnerSDK } from '@contio/partner-sdk';

const { admin } = ContioPartnerSDK.forAdmin({
  apiKey: process.env.CONTIO_API_KEY ?? '',
  clientId: process.env.CONTIO_CLIENT_ID ?? '',
});

export async function listWorkflows() {
  return admin.listWorkflowTemplates();
}
