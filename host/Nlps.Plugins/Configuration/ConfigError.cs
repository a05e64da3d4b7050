namespace Nlps.Plugins.Configuration;

/// <summary>One way a configuration value breaks its plugin's schema.</summary>
/// <param name="Path">Where, as a JSON path from the root (<c>$</c>, <c>$.relationTypes[2]</c>, <c>$['odd key']</c>).</param>
/// <param name="Keyword">The schema keyword that failed (<c>type</c>, <c>required</c>, <c>minimum</c>, …), so the console can say it in the operator's language.</param>
/// <param name="Expected">What the keyword asks for (the limit, type, pattern or allowed values), as text.</param>
/// <param name="Message">The whole error in English.</param>
public sealed record ConfigError(string Path, string Keyword, string Expected, string Message);
