/**
 * The guideline sections (fixtures/reference/guidelines.txt) a check may prove, with their titles. The
 * suite schema offers them for `section:`; coverage reports can list them.
 */
export const GUIDELINE_SECTIONS: Readonly<Record<string, string>> = {
  '1.1': 'API Access',
  '1.2': 'Network Configuration',
  '1.3': 'Data Structure',
  '1.4': 'Development Environment',
  '2.1': 'Encryption Standards',
  '2.2': 'Regulatory Compliance',
  '2.3': 'Security Best Practices',
  '3.1': 'Transaction Handling',
  '3.2': 'System Monitoring',
  '3.3': 'Business Continuity',
  '4.1': 'Technical Support',
  '5.1': 'Test Environment',
  '5.2': 'Go-Live Readiness',
  '6.1': 'Interface Design',
  '6.2': 'Error Messaging',
  '7.1': 'Agreements and Terms',
  '7.2': 'Data Privacy',
};
