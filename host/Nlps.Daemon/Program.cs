var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
await app.RunAsync();

/// <summary>Entry point, visible to the in-process tests.</summary>
public partial class Program;
