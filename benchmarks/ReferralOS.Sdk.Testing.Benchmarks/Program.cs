using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/ReferralOS.Sdk.Testing.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
