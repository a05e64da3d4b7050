namespace Nlps.TestPlugins.PrivateDep;

/// <summary>A private dependency whose behaviour differs between its two versions.</summary>
public static class Greeting
{
#if PRIVATE_DEP_V2
    public static string Describe() => "private-dep v2: 안녕하세요";
#else
    public static string Describe() => "private-dep v1";
#endif
}

/// <summary>A base class, so that an agent deriving from it cannot load without this assembly.</summary>
public class DependencyBase
{
}
