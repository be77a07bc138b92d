// CI must exercise the PostgreSQL suite; locally it runs when TEST_DATABASE_URL is set.
export default function globalSetup(): void {
  if (process.env.CI === 'true' && !process.env.TEST_DATABASE_URL) {
    throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL suite would be skipped.');
  }
  if (!process.env.TEST_DATABASE_URL) {
    console.log('\nTEST_DATABASE_URL is not set: database tests run on PGlite only.\n');
  }
}
