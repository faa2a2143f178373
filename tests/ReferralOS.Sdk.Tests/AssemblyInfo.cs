using ReferralOS.Sdk.Testing.Xunit;

[assembly: AssemblyFixture(typeof(PostgresServerFixture))]
