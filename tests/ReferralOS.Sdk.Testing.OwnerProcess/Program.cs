using ReferralOS.Sdk;
using ReferralOS.Sdk.Testing;

// Usage: OwnerProcess local | OwnerProcess connection <connection string>
// Starts a test server from that source, creates one empty test database, prints
// "<server connection string>\t<database name>" and waits to be killed; a line on stdin makes it crash instead,
// with an unhandled exception and nothing disposed.
var options = args switch
{
    ["local"] => new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries },
    ["connection", var connectionString] => new TestPostgresServerOptions { Source = TestServerSource.ConnectionString, ConnectionString = connectionString },
    _ => throw new ArgumentException("Usage: OwnerProcess local | OwnerProcess connection <connection string>"),
};

var server = await TestPostgresServer.StartAsync(options);
var database = await server.CreateDatabaseAsync(new MigrationCatalog([], []), TestDatabaseOptions.Empty);
Console.WriteLine($"{server.ConnectionString}\t{database.Name}");
if (await Console.In.ReadLineAsync() is not null)
{
    throw new InvalidOperationException($"Crashing on purpose with {database.Name} and its server still open.");
}

await Task.Delay(Timeout.Infinite);
