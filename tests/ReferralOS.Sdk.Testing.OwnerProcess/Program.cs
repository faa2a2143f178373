using ReferralOS.Sdk;
using ReferralOS.Sdk.Testing;

// Usage: OwnerProcess local | OwnerProcess connection <connection string> [wait | churn | exit]
// Starts a test server from that source, creates one empty test database, prints
// "<server connection string>\t<database name>", then:
// - wait (the default): waits to be killed; a line on stdin makes it crash instead, with an unhandled exception and
//   nothing disposed;
// - churn: takes and disposes databases in a loop, its pool refilling all the while, until it is killed;
// - exit: returns without disposing anything, leaving the clean-up to the process's exit.
var (options, then) = args switch
{
    ["local"] => (new TestPostgresServerOptions { Source = TestServerSource.LocalBinaries }, "wait"),
    ["connection", var connectionString] => (Connection(connectionString), "wait"),
    ["connection", var connectionString, var mode] => (Connection(connectionString), mode),
    _ => throw new ArgumentException("Usage: OwnerProcess local | OwnerProcess connection <connection string> [wait | churn | exit]"),
};

var server = await TestPostgresServer.StartAsync(options);
var empty = new MigrationCatalog([], []);
var database = await server.CreateDatabaseAsync(empty, TestDatabaseOptions.Empty);
Console.WriteLine($"{server.ConnectionString}\t{database.Name}");
switch (then)
{
    case "churn":
        while (true)
        {
            await (await server.CreateDatabaseAsync(empty, TestDatabaseOptions.Empty)).DisposeAsync();
        }

    case "exit":
        return;
}

if (await Console.In.ReadLineAsync() is not null)
{
    throw new InvalidOperationException($"Crashing on purpose with {database.Name} and its server still open.");
}

await Task.Delay(Timeout.Infinite);

static TestPostgresServerOptions Connection(string connectionString) =>
    new() { Source = TestServerSource.ConnectionString, ConnectionString = connectionString, DatabasePoolSize = 4 };
