namespace ReferralOS.Sdk.Testing;

/// <summary>The server the kit chose, as its description tells it.</summary>
/// <param name="Source">Where it came from.</param>
/// <param name="What">What it is, e.g. <c>a Testcontainers container of postgres:15-alpine</c>.</param>
/// <param name="Why">Why it was chosen, e.g. <c>REFERRALOS_TEST_DATABASE is set, which comes first</c>.</param>
internal sealed record ServerChoice(TestServerSource Source, string What, string Why);
