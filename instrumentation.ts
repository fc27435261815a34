/**
 * Runs once when the server starts. NEXT_RUNTIME is a build-time constant set by Next.js (not
 * configuration), checked so the Node-only start-up code never lands in an edge bundle.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { verifyConfigurationOrExit } = await import('@/lib/server/startup');
    verifyConfigurationOrExit();
  }
}
