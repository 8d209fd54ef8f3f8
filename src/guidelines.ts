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

/** One requirement of the provider's integration guidelines (one bullet of fixtures/reference/guidelines.txt). */
export interface GuidelineItem {
  /** Stable id: the section plus a letter for the bullet, e.g. `1.1.b`. */
  id: string;
  /** Section it belongs to, e.g. `1.1`. */
  section: string;
  /** Title of the section, e.g. `API Access`. */
  sectionTitle: string;
  /** The requirement, word for word as the guidelines state it. */
  text: string;
}

// The bullets of guidelines.txt in order; ids are the section plus a, b, c in bullet order, so a
// new bullet in a later revision gets the next letter and existing ids never change meaning.
const BULLETS: Readonly<Record<string, readonly string[]>> = {
  '1.1': [
    'Gain access to all required API endpoints provided by the payment provider.',
    'Ensure all data is transmitted securely via HTTPS.',
    'Use OAuth 2.0 protocol for authentication and access control.',
  ],
  '1.2': ['Maintain a stable internet connection with at least 1 Mbps bandwidth.', 'Ensure port 443 (HTTPS) is open, along with any others specified in the API documentation.'],
  '1.3': ['Exchange data in JSON format.', 'Use UTF-8 encoding for all communication.'],
  '1.4': ['Supported languages include Java, Python, PHP, .NET, and Node.js.', 'Leverage any official SDKs or libraries made available by the provider.'],
  '2.1': ['Secure all data in transit with TLS 1.2 or newer.', 'Store sensitive credentials (e.g., API keys) using environment variables or secure vaults.'],
  '2.2': ['Comply with PCI DSS standards for payment data security.', 'Adhere to GDPR guidelines if handling personal user information.'],
  '2.3': ['Keep systems updated to avoid vulnerabilities.', 'Implement rate limiting to mitigate DDoS threats.', 'Restrict API access using IP whitelisting.'],
  '3.1': ['Respect transaction caps defined by the payment system.', 'Ensure smooth handling of over-limit transactions with proper fallback logic.'],
  '3.2': ['Enable detailed logs for all API interactions.', 'Monitor KPIs such as success rate, error frequency, and response times.'],
  '3.3': ['Schedule regular backups of transactional data.', 'Develop a disaster recovery strategy to handle outages or system failures.'],
  '4.1': ['Ensure proper logging and monitoring tools are in place for rapid troubleshooting.', "Establish direct communication channels with the payment provider's support team."],
  '5.1': ['Use the sandbox environment for integration testing.', 'Simulate both standard and edge-case scenarios to ensure robustness.'],
  '5.2': ['Complete any required certification steps.', 'Validate all key flows with test transactions before moving to production.'],
  '6.1': ['Deliver a simple, seamless payment experience.', 'Ensure the UI is fully responsive and optimized for mobile devices.'],
  '6.2': ['Display clear, helpful error messages.', 'Offer users guidance to resolve common payment issues.'],
  '7.1': ['Review and accept all relevant terms and service agreements.', 'Make sure legal paperwork is signed and submitted on time.'],
  '7.2': ['Put strong privacy policies in place to safeguard user data.', 'Provide transparent documentation explaining how data is collected and processed.'],
};

/**
 * Every guideline item, in document order: the machine-readable form of the guidelines that
 * `payready coverage` maps checks onto (a check proves the items it lists under `proves:`, or
 * the items of its `section:` its type can evidence).
 */
export const GUIDELINE_ITEMS: readonly GuidelineItem[] = Object.entries(BULLETS).flatMap(([section, bullets]) =>
  bullets.map((text, index) => ({ id: `${section}.${String.fromCharCode(97 + index)}`, section, sectionTitle: GUIDELINE_SECTIONS[section] ?? section, text })),
);

/** Every item id, in document order (`1.1.a` ... `7.2.b`). */
export const GUIDELINE_ITEM_IDS: readonly string[] = GUIDELINE_ITEMS.map((item) => item.id);

/** The items of one section. */
export function itemsOfSection(section: string): GuidelineItem[] {
  return GUIDELINE_ITEMS.filter((item) => item.section === section);
}

/** The sections of a list of item ids, in document order, each once (`["1.1.b", "2.1.a"]` -> `["1.1", "2.1"]`). */
export function sectionsOf(ids: readonly string[]): string[] {
  const sections = new Set(ids.map((id) => id.slice(0, id.lastIndexOf('.'))));
  return Object.keys(BULLETS).filter((section) => sections.has(section));
}
