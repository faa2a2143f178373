using ReferralOS.Packaging.Tests;
using ReferralOS.Sdk.Testing.Xunit;

[assembly: AssemblyFixture(typeof(PostgresServerFixture))]
[assembly: AssemblyFixture(typeof(PackageFeed))]
