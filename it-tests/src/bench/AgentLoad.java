import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM with the given options: {@code java AgentLoad.java PID LIBRARY OPTIONS}.
 * profile.sh uses it for async-profiler; jcmd's JVMTI.agent_load would split the options at their '=' signs.
 */
public class AgentLoad {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java AgentLoad.java PID LIBRARY OPTIONS");
            System.exit(2);
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
