namespace Nlps.Storage.Database;

/// <summary>One step of the state database schema: applied once, in its own transaction, then recorded as <c>PRAGMA user_version</c>.</summary>
/// <param name="Version">The schema version this step produces; versions start at 1 and rise by one.</param>
/// <param name="Description">What the step changes, for the log.</param>
/// <param name="Sql">The statements; plain <c>CREATE</c> (no <c>IF NOT EXISTS</c>) so that applying a step twice fails loudly.</param>
public sealed record Migration(int Version, string Description, string Sql);
